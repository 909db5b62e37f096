"""Sagstilsyn: management supervision (ledelsestilsyn) and deadline control for children's cases."""
