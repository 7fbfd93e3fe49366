"""Date and number formats of the four interface languages (settings.FORMAT_MODULE_PATH).

Why our own: Django's Uzbek formats are Latin only, so Cyrillic pages read "2-Декабр,
2026-yil"; its Uzbek and Russian formats put "25.10.2006" first among the input formats, which
an `<input type="date">` cannot show (it needs ISO 8601); and the interface English follows
British usage (day before month), as the ministry's English documents do.

| language | DATE_FORMAT | SHORT_DATE_FORMAT | numbers |
|---|---|---|---|
| uz | 2026-yil 14-dekabr | 14.12.2026 | 12 345,5 |
| uz-cyrl | 2026-йил 14-декабрь | 14.12.2026 | 12 345,5 |
| ru | 14 декабря 2026 г. | 14.12.2026 | 12 345,5 |
| en | 14 Dec 2026 | 14/12/2026 | 12,345.5 |

The thousand separator is a no-break space. Input formats start with ISO 8601 in every
language, then the language's own short form, so the date inputs and the typed dates agree.
"""
