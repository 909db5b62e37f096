"""Fund, sagsgenopretninger, læringspunkter og handleplaner: their reads (selectors), pages (views) and
the weekly list's section of open repairs (followup)."""
