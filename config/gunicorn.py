"""gunicorn's settings for `gembahall serve`: the answers name no server
software, so a scan learns nothing of which server and version to try."""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _without_server(self):
    return [h for h in _default_headers(self) if not h.startswith("Server:")]


# gunicorn writes its Server header with no setting to leave it out.
wsgi.Response.default_headers = _without_server
