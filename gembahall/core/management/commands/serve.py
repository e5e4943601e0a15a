"""Serve the app with gunicorn and run the background worker beside it, with
the periodic job (`gembahall tick`) started every minute."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

RESTART_DELAY = 1.0
TICK_SECONDS = 60.0


class Ticker:
    """Starts `gembahall tick` every TICK_SECONDS in its own process, never two
    at once, so a slow or failing job never holds up the web or the worker."""

    def __init__(self, python: str):
        self.command = [python, "-m", "gembahall", "tick"]
        self.process = None
        self.last = None

    def poll(self, now: float) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        if self.last is None or now - self.last >= TICK_SECONDS:
            self.last = now
            self.process = subprocess.Popen(self.command)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


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
            "--no-worker",
            action="store_true",
            help="Start neither the worker nor the periodic job (run "
            "`gembahall tick` from cron then).",
        )

    def handle(self, *args, host, port, workers, threads, no_worker, **options):
        python = sys.executable
        worker_cmd = [python, "-m", "gembahall", "db_worker"]
        worker_cmd += ["--queue-name", "*", "--no-reload"]
        web = subprocess.Popen(
            [python, "-m", "gunicorn", "config.wsgi:application"]
            + ["--config", "python:config.gunicorn"]
            + ["--bind", f"{host}:{port}", "--workers", str(workers)]
            + ["--threads", str(threads), "--access-logfile", "-"]
            # The database's busy timeout is set just below it (settings).
            + ["--timeout", str(settings.WEB_TIMEOUT)]
            + ["--log-level", "warning"]
        )
        worker = None if no_worker else subprocess.Popen(worker_cmd)
        ticker = None if no_worker else Ticker(python)
        self.stdout.write(f"Gemba Hall: http://{host}:{port}/")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            for proc in (web, worker):
                if proc is not None and proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while web.poll() is None:
                # A worker that dies is started again, so queued jobs still run.
                if not stopping and worker is not None and worker.poll() is not None:
                    self.stderr.write("background worker stopped; starting it again")
                    time.sleep(RESTART_DELAY)
                    worker = subprocess.Popen(worker_cmd)
                if not stopping and ticker is not None:
                    ticker.poll(time.monotonic())
                time.sleep(0.5)
        finally:
            stop(None, None)
            if ticker is not None:
                ticker.stop()
            for proc in (web, worker):
                if proc is not None:
                    proc.wait(timeout=10)
        sys.exit(web.returncode)
