"""The Windows installer script compiles with the real makensis, on Linux, from a Windows build's layout.

A PyInstaller build for Windows can only be made on Windows, but the installer script can be checked
anywhere: makensis compiles it against a folder laid out like that build (small stand-in files), which
exercises the Persian language, the pages, the sections, the file list, the shortcuts and the registry
entries. `make test` installs makensis (Debian's `nsis`, via .ci/system-deps), so in CI this runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

import clinic_app

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "installer" / "clinic_app.nsi"
APP_ID = "{A04E156C-AFE7-49BD-8038-FC9EF88FA7A0}"
UNINST_KEY = rf"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}"
MENU = r"$SMPROGRAMS\کلینیک کسب‌وکار"

# A Windows one-folder build of installer/clinic_app.spec, in miniature.
WINDOWS_BUILD = {
    "clinic-app.exe": b"MZ console",
    "ClinicApp.exe": b"MZ windowed",
    "_internal/base_library.zip": b"PK",
    "_internal/python311.dll": b"MZ",
    "_internal/resources/fonts/Vazirmatn-Regular.ttf": b"\0\1\0\0",
    "_internal/resources/i18n/clinic_fa.qm": b"qm",
    "_internal/resources/templates/diagnosis-general.json": b"{}",
    "_internal/clinic_app/models/migrations/versions/0001_initial.py": b"# migration",
    "_internal/PySide6/plugins/platforms/qwindows.dll": b"MZ",
    "_internal/PySide6/plugins/styles/qmodernwindowsstyle.dll": b"MZ",
}


def _makensis() -> str:
    found = shutil.which("makensis")
    if found:
        return found
    if os.name == "posix" and os.geteuid() == 0 and Path("/etc/debian_version").exists():
        pytest.fail("makensis is missing, though `make test` installs it here (.ci/system-deps nsis)")
    pytest.skip("makensis (NSIS 3) is not installed: apt-get install nsis, or NSIS from nsis.sourceforge.io")


def _build_folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _compile(build: Path, out: Path, *defines: str) -> subprocess.CompletedProcess[str]:
    out.mkdir(parents=True, exist_ok=True)
    # -V4 lists every instruction and file; MUI_VERBOSE=4 lets the Modern UI's language loading show too.
    # -WX: a makensis warning is nearly always a mistake in the script (an unused or missing string).
    command = [_makensis(), "-V4", "-WX", "-DMUI_VERBOSE=4", f"-DBUILD_DIR={build}", f"-DOUT_DIR={out}"]
    return subprocess.run(
        [*command, *(f"-D{d}" for d in defines), str(NSI)],
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300,
    )  # fmt: skip


def _shipped_files(log: str, build: Path) -> set[str]:
    """The build files makensis packed, from its `File:` lines (it prints the folders it descends into;
    a size reads 0/N bytes when an identical file is already packed)."""
    shipped, folder = set(), build
    for line in log.splitlines():
        if m := re.match(r'File: (?:Descending|Returning) to: "(.*)"', line):
            folder = Path(m[1])
        elif (m := re.match(r'File: "([^"]+)" [\d/]+ bytes', line)) and "->" not in line:
            shipped.add(PurePosixPath(*(folder / m[1]).relative_to(build).parts).as_posix())
    return shipped


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("installer")
    build = _build_folder(tmp / "clinic-app", WINDOWS_BUILD)
    done = _compile(build, tmp / "out")  # no APP_VERSION: the script reads the project's version itself
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    return build, tmp / "out", done.stdout


def test_the_installer_is_a_windows_program_named_with_the_project_version(compiled):
    _build, out, _log = compiled
    setup = out / f"clinic-app-setup-{clinic_app.__version__}.exe"
    assert [p.name for p in out.iterdir()] == [setup.name]
    data = setup.read_bytes()
    assert data[:2] == b"MZ"
    pe = int.from_bytes(data[0x3C:0x40], "little")
    assert data[pe : pe + 4] == b"PE\0\0"
    assert b"requireAdministrator" in data  # the manifest: Windows asks for elevation before it starts
    assert clinic_app.__version__.encode("utf-16-le") in data  # version resource, for Explorer


def test_persian_is_the_first_language_and_english_the_second(compiled):
    log = compiled[2]
    assert "Unicode: true" in log
    languages = re.findall(r"LoadLanguageFile: .*[\\/](\w+)\.nlf", log)
    assert languages == ["Farsi", "English"]
    assert 'LangString: "DataKept" 1065 "برنامه حذف شد.' in log  # 1065: Persian
    assert "%LOCALAPPDATA%\\BusinessClinics\\ClinicApp" in log


def test_pages_sections_and_uninstaller(compiled):
    log = compiled[2]
    # welcome, components (the desktop shortcut, the one optional section), folder, progress, finish;
    # the uninstaller: confirm, progress, finish (which says the data stays)
    assert re.search(r"^Install: 5 pages .*3 sections \(2 required\)", log, re.M)
    assert re.search(r"^Uninstall: 3 pages .*1 section", log, re.M)
    assert "Generating uninstaller... Done!" in log
    assert 'WriteUninstaller: "$INSTDIR\\uninstall.exe"' in log
    assert 'InstallDir: "$PROGRAMFILES64\\ClinicApp"' in log
    assert log.count("SetShellVarContext: all") == 2  # installer and uninstaller: all users' menu and desktop
    assert 'Plugin command: ExecToLog /TIMEOUT=600000 "$INSTDIR\\clinic-app.exe" --self-check' in log


def test_every_file_of_the_build_is_packed(compiled):
    build, _out, log = compiled
    assert _shipped_files(log, build) == set(WINDOWS_BUILD)
    # an upgrade drops the old bundle before copying the new one
    assert log.index('RMDir: /r "$INSTDIR\\_internal"') < log.index('File: "ClinicApp.exe"')


def test_shortcuts_and_the_add_remove_programs_entry(compiled):
    log = compiled[2]
    assert f'CreateShortcut: "{MENU}\\کلینیک کسب‌وکار.lnk"->"$INSTDIR\\ClinicApp.exe"' in log
    self_check = '"$SYSDIR\\cmd.exe" /k ""$INSTDIR\\clinic-app.exe" --self-check"'
    assert f'CreateShortcut: "{MENU}\\خودآزمایی کلینیک کسب‌وکار.lnk"->{self_check}' in log
    assert f'CreateShortcut: "{MENU}\\حذف کلینیک کسب‌وکار.lnk"->"$INSTDIR\\uninstall.exe"' in log
    assert 'CreateShortcut: "$DESKTOP\\کلینیک کسب‌وکار.lnk"->"$INSTDIR\\ClinicApp.exe"' in log
    values = dict(re.findall(rf"WriteReg(?:Str|DWORD): {re.escape(UNINST_KEY)}\\(\w+)=(.*)", log))
    assert values == {
        "DisplayName": "سامانهٔ کلینیک کسب‌وکار",
        "DisplayVersion": clinic_app.__version__,
        "Publisher": "Business Clinics",
        "DisplayIcon": "$INSTDIR\\ClinicApp.exe,0",
        "InstallLocation": "$INSTDIR",
        "UninstallString": '"$INSTDIR\\uninstall.exe"',
        "QuietUninstallString": '"$INSTDIR\\uninstall.exe" /S',
        "NoModify": "1",
        "NoRepair": "1",
        "EstimatedSize": "$R6",
    }


def test_the_uninstaller_removes_only_what_was_installed(compiled):
    log = compiled[2]
    uninstall = log[log.index('Section: "Uninstall"') :]
    uninstall = uninstall[: uninstall.index("SectionEnd")]
    removed = re.findall(r"^(?:Delete|RMDir): (.*)$", uninstall, re.M)
    assert removed == [
        '"$DESKTOP\\کلینیک کسب‌وکار.lnk"',
        f'"{MENU}\\کلینیک کسب‌وکار.lnk"',
        f'"{MENU}\\خودآزمایی کلینیک کسب‌وکار.lnk"',
        f'"{MENU}\\حذف کلینیک کسب‌وکار.lnk"',
        f'"{MENU}"',
        '/r "$INSTDIR\\_internal"',
        '"$INSTDIR\\ClinicApp.exe"',
        '"$INSTDIR\\clinic-app.exe"',
        '"$INSTDIR\\uninstall.exe"',
        '"$INSTDIR"',  # not /r: it goes only when empty
    ]
    assert f"DeleteRegKey: {UNINST_KEY}" in uninstall


def test_the_version_passed_on_the_command_line_wins(tmp_path):
    build = _build_folder(tmp_path / "clinic-app", WINDOWS_BUILD)
    done = _compile(build, tmp_path / "out", "APP_VERSION=2.3.0rc1")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    data = (tmp_path / "out" / "clinic-app-setup-2.3.0rc1.exe").read_bytes()
    assert "2.3.0rc1".encode("utf-16-le") in data
    fixed = data.index((0xFEEF04BD).to_bytes(4, "little"))  # VS_FIXEDFILEINFO: numbers only
    major_minor, patch_build = (int.from_bytes(data[fixed + i : fixed + i + 4], "little") for i in (8, 12))
    assert (major_minor >> 16, major_minor & 0xFFFF, patch_build >> 16, patch_build & 0xFFFF) == (2, 3, 0, 0)


@pytest.mark.parametrize(
    ("leave_out", "rename", "message"),
    [
        ("clinic-app.exe", {}, "has no clinic-app.exe"),
        ("ClinicApp.exe", {}, "has no ClinicApp.exe"),
        # a Linux build folder: `clinic-app` with no .exe and no windowed program
        ("ClinicApp.exe", {"clinic-app.exe": "clinic-app"}, "has no clinic-app.exe"),
    ],
)
def test_a_build_folder_that_is_not_a_windows_build_is_refused(tmp_path, leave_out, rename, message):
    files = {rename.get(k, k): v for k, v in WINDOWS_BUILD.items() if k != leave_out}
    build = _build_folder(tmp_path / "clinic-app", files)
    done = _compile(build, tmp_path / "out")
    assert done.returncode != 0
    assert f"!error: {build} {message}: build the app on Windows first" in done.stdout + done.stderr
    assert not list((tmp_path / "out").iterdir())


def test_make_installer_passes_the_project_version_and_build_folder(tmp_path):
    make = shutil.which("make")
    if make is None:
        pytest.skip("no make here")
    _makensis()
    build = _build_folder(tmp_path / "clinic-app", WINDOWS_BUILD)
    # not the jobserver of the `make test` this may run under
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    done = subprocess.run(
        [make, "--no-print-directory", "installer", f"BUILD_DIR={build}", f"OUT_DIR={tmp_path / 'out'}"],
        capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    assert f"-DAPP_VERSION={clinic_app.__version__}" in done.stdout
    assert (tmp_path / "out" / f"clinic-app-setup-{clinic_app.__version__}.exe").exists()
