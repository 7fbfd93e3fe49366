"""The limits on what an appeal may hold, one home for each, read by every door (the clerk's
registration forms, the citizens' public form, the API) and by the intake service itself.

A limit copied into each door drifted once already: the API capped the text at 20,000
characters while the clerk's form stored 100,000. The request-size limits that protect the
server before any door parses a body are in `murojaat.appeals.bodylimits`.
"""

from __future__ import annotations

# The text of an appeal, in characters (what a person writes, not bytes). 20,000 characters is
# about eight typed pages: longer material is an attachment.
APPEAL_TEXT_MAX_CHARS = 20_000

# Files sent with one appeal through a form: the citizens' public form, and the clerk's
# registration (a letter's scans). Each file at most settings.MUROJAAT_MAX_ATTACHMENT_BYTES.
# The request-size limits of those pages follow from these (appeals.bodylimits).
PUBLIC_FORM_MAX_FILES = 5
REGISTER_FORM_MAX_FILES = 10
