"""Entry point of the frozen app (PyInstaller): exactly the ``clinic-app`` command.

``clinic-app`` (console) and, on Windows, ``ClinicApp.exe`` (no console window, for the shortcuts) are both
built from this file; with no command it opens the GUI, ``--self-check`` checks the installation.
"""

import multiprocessing
import sys

from clinic_app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless when nothing uses multiprocessing; required if anything does
    sys.exit(main())
