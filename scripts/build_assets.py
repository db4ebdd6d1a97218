"""Build step: copy front-end assets from node_modules into the package and compile translations.

Third-party JavaScript and CSS come from the npm registry (``npm ci``), never from the
repository; the compiled ``.mo`` catalogues are built from the ``.po`` sources with polib,
so no GNU gettext is needed on the machine.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "wangjian"
VENDOR = PKG / "static" / "vendor"
ASSETS = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
}


def copy_assets() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for src, dst in ASSETS.items():
        path = ROOT / "node_modules" / src
        if not path.exists():
            sys.exit(f"missing {path}: run `npm ci` first")
        shutil.copyfile(path, VENDOR / dst)


def compile_messages() -> None:
    for po in PKG.rglob("locale/*/LC_MESSAGES/*.po"):
        polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


if __name__ == "__main__":
    copy_assets()
    compile_messages()
    print("assets and translations built")
