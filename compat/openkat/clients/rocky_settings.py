"""The Django settings rocky's Bytes client reads (rocky/rocky/settings.py: BYTES_API, BYTES_USERNAME,
BYTES_PASSWORD from the environment, ROCKY_OUTGOING_REQUEST_TIMEOUT default 30), without the rest of rocky's site."""

import os

SECRET_KEY = "compat-openkat"
USE_I18N = True
INSTALLED_APPS: list[str] = []

BYTES_API = os.environ["BYTES_API"]
BYTES_USERNAME = os.environ["BYTES_USERNAME"]
BYTES_PASSWORD = os.environ["BYTES_PASSWORD"]
ROCKY_OUTGOING_REQUEST_TIMEOUT = 30
