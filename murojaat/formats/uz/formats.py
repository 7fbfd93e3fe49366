"""Uzbek (Latin): "2026-yil 14-dekabr", the order of the state language's official documents."""

from murojaat.formats._common import dotted_inputs

DATE_FORMAT = r"Y-\y\i\l j-E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y-\y\i\l j-E, H:i"
YEAR_MONTH_FORMAT = r"Y-\y\i\l F"
MONTH_DAY_FORMAT = "j-E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS = dotted_inputs()
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
