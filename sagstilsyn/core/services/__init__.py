"""Write services of the core app (organisation, people, audit)."""
