"""Input formats shared by every language: ISO 8601 first, for `<input type="date">` and
`<input type="datetime-local">`, which send and expect nothing else."""

ISO_DATE_INPUT_FORMATS = ["%Y-%m-%d"]
ISO_DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
]


def dotted_inputs() -> tuple[list[str], list[str]]:
    """(date, datetime) input formats for languages that write 14.12.2026."""
    dates = [*ISO_DATE_INPUT_FORMATS, "%d.%m.%Y"]
    datetimes = [
        *ISO_DATETIME_INPUT_FORMATS,
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ]
    return dates, datetimes
