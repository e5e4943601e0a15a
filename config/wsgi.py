"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

from gembahall.core.checks import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# gunicorn runs no system checks: a worker without a key of its own fails to
# boot, so the server does not start.
require_secret_key()
