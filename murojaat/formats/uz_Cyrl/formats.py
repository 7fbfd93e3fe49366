"""Uzbek (Cyrillic): as the Latin formats, with "йил" ("2026-йил 14-декабрь")."""

from murojaat.formats._common import dotted_inputs

DATE_FORMAT = "Y-йил j-E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-йил j-E, H:i"
YEAR_MONTH_FORMAT = "Y-йил F"
MONTH_DAY_FORMAT = "j-E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS = dotted_inputs()
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
