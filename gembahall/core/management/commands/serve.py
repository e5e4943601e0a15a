"""Serve the app with gunicorn and run the background worker beside it."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Gemba Hall with gunicorn, and run the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1"))
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the worker."
        )

    def handle(self, *args, host, port, workers, threads, no_worker, **options):
        python = sys.executable
        procs = []
        if not no_worker:
            procs.append(
                subprocess.Popen(
                    [
                        python,
                        "-m",
                        "gembahall",
                        "db_worker",
                        "--queue-name",
                        "*",
                        "--no-reload",
                    ]
                )
            )
        web = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ]
        )
        procs.append(web)
        self.stdout.write(f"Gemba Hall: http://{host}:{port}/")

        def stop(signum, frame):
            for proc in procs:
                proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            code = web.wait()
        finally:
            stop(None, None)
            for proc in procs:
                proc.wait(timeout=10)
        sys.exit(code)
