"""Dates in Indonesian as Santun's letters write them: the month in full ("6 Agustus 2025"), so that
the date on a page (the letter verification page above all) reads exactly as on the letter.
Everything not set here is Django's Indonesian format."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, G.i"
