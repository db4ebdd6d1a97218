"""The demo county (``wangjian demo``), assembled from what each app registers.

The organisation (``org.demo.build``) comes first; then every app that registered a loader adds
its part — ``register("monitoring", "wangjian.monitoring.demo.load", after=("registry",))`` in its
``AppConfig.ready`` — in an order that puts each after the apps it builds on. A new app joins the
demo by registering; nothing here names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from wangjian.core.errors import WangjianError


@dataclass(frozen=True)
class Loader:
    label: str
    path: str  # "package.module.function", called as ``function(org, stdout)``
    after: tuple[str, ...] = ()

    def load(self, org, stdout) -> None:
        module, _, name = self.path.rpartition(".")
        getattr(import_module(module), name)(org, stdout)


_LOADERS: dict[str, Loader] = {}
_PREPARE: dict[str, str] = {}


def register_prepare(label: str, path: str) -> None:
    """A step of app ``label`` run by ``wangjian demo`` right after migrating, before any demo data
    (``function(stdout)``): the exchange copies the freshly migrated database for its partner instance."""
    _PREPARE[label] = path


def prepare(stdout) -> None:
    for path in _PREPARE.values():
        module, _, name = path.rpartition(".")
        getattr(import_module(module), name)(stdout)


def register(label: str, path: str, *, after: tuple[str, ...] = ()) -> None:
    """Add the demo data of app ``label``, loaded after the apps named in ``after``."""
    _LOADERS[label] = Loader(label, path, tuple(after))


def loaders() -> list[Loader]:
    """The registered loaders, each after those it names (registration order otherwise)."""
    ordered: list[Loader] = []
    placed: set[str] = set()
    pending = list(_LOADERS.values())
    while pending:
        ready = [loader for loader in pending if all(a in placed or a not in _LOADERS for a in loader.after)]
        if not ready:
            names = ", ".join(loader.label for loader in pending)
            raise WangjianError(
                f"演示数据的加载顺序有循环：{names}", f"The demo loaders wait on each other: {names}"
            )
        for loader in ready:
            ordered.append(loader)
            placed.add(loader.label)
            pending.remove(loader)
    return ordered
