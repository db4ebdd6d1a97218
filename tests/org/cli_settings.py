"""Settings for console-command tests run in a subprocess: production settings, cheaper static files and hashes.

``wangjian init`` collects the static files; compressing each with gzip and Brotli
(whitenoise) costs over half a minute of CPU, which says nothing about ``init`` itself.
"""

from wangjian.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The production hasher costs a second of CPU per password; the policy validators still run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
