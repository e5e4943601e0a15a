"""The `gembahall` operator command: Django's management commands plus serve, demo,
import-org and createadmin."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv = list(sys.argv)
    argv[0] = "gembahall"
    # Hyphenated operator verbs map to Django's underscore command names.
    if len(argv) > 1:
        argv[1] = argv[1].replace("-", "_") if not argv[1].startswith("-") else argv[1]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
