"""Ugentlig fristopfølgning (weekly deadline follow-up): the week's list, its Excel export and the
weekly e-mail digest to leaders."""
