"""The reviewer's pages of the ledelsestilsyn (ADR 0028): Mine gennemgange and the review form
(`reviews`), the comparison of the levels (`comparison`) and the calibration page (`calibration`)."""
