"""The bounds every input is held to, on every path (CLI file, page upload, API body, import).

One owner for each bound: the readers, the API and the pages import them from here, so a limit
is raised or lowered in one place and the hostile-input tests follow it.
"""

from __future__ import annotations

# Scenario and region YAML
MAX_YAML_BYTES = 1_000_000  # a scenario is a few kB; a megabyte is a mistake or an attack
MAX_YAML_DEPTH = 24  # nested mappings and lists; the deepest scenario key path has 5 levels
MAX_YAML_NODES = 100_000  # scalars, mappings and lists once every alias is expanded
MAX_YAML_ALIASES = 1_000  # alias uses (*name); a hand-written scenario uses a handful

# Request bodies and uploads
MAX_JSON_BODY_BYTES = 2_000_000  # an API JSON body (a scenario is sent as text inside it)
MAX_FORM_BODY_BYTES = 2_000_000  # a page form without a file
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a CSV or Excel table sent to the Data page or the API
MAX_JSON_DEPTH = 32  # nesting of arrays and objects in a JSON body
MAX_LIST_ITEMS = 100  # items of one list in a request body (e.g. specialties to optimise)
MAX_PAGE_ROWS = 500  # records one listing answer holds (?limit=); more are paged (?offset=)

# Tables
MAX_TABLE_ROWS = 200_000  # rows of one imported table (a travel matrix of 500 areas × 300 sites)
MAX_FIELD_CHARS = 1_000  # characters in one cell or one short text field
MAX_REPORTED_PROBLEMS = 100  # problems listed for one rejected upload; the rest are counted
MAX_TABLE_COLUMNS = 100  # columns of one table (the widest region table has 8)
MAX_TABLE_FILE_BYTES = MAX_UPLOAD_BYTES  # a region table read from a file (CLI, import)
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx's parts once unzipped, together
MAX_XLSX_RATIO = 100  # unzipped to zipped size of an .xlsx part (a spreadsheet: about 5-20)

# Pages
MAX_SHOWN_CHARS = 2_000  # characters of one stored value the audit page shows (then cut)

# Names and free text
MAX_NAME_CHARS = 80  # a scenario, token or account name
MAX_TEXT_CHARS = 10_000  # a description or comment

# Work in the server
MAX_CONCURRENT_PASSWORD_HASHES = 4  # Argon2id needs 64 MiB each: 4 at once hold 256 MiB at most
