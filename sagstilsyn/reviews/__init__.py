"""Ledelsestilsyn (management supervision): samples, questionnaires and reviews."""
