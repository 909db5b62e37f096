"""The oversigtsskema: the checklist of legal and procedural steps in every placement case."""
