"""English, British usage: day before month ("14 Dec 2026", "14/12/2026") and a 24-hour clock,
so that no date in the interface reads differently from the Uzbek and Russian pages."""

from murojaat.formats._common import ISO_DATE_INPUT_FORMATS, ISO_DATETIME_INPUT_FORMATS

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [*ISO_DATE_INPUT_FORMATS, "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = [*ISO_DATETIME_INPUT_FORMATS, "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
