"""Component ids, as constants, so layouts and callbacks cannot drift apart."""

from __future__ import annotations

MAIN = "main-content"  # target of the skip link
LANG_SWITCH = "lang-switch"
EMBED_CODE = "embed-code"
EMBED_COPY = "embed-copy"
EMBED_COPY_STATUS = "embed-copy-status"
EMBED_CODE_FIXED = "embed-code-fixed"  # the fixed-height snippet, without a script
EMBED_COPY_FIXED = "embed-copy-fixed"
EMBED_COPY_FIXED_STATUS = "embed-copy-fixed-status"
DOWNLOAD_CSV = "download-csv"
DOWNLOAD_JSON = "download-json"
DOWNLOAD_XLSX = "download-xlsx"
INDICATOR_CHART = "indicator-chart"
