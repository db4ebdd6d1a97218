"""The bundled demo online market (演示网络市场) of 旌德县, served on 127.0.0.1 without internet.

``serve(port)`` starts it and returns a server with ``.url`` and ``.shutdown()``;
``build_market()`` gives the shops, listings, registry rows and the ground truth as data.
"""

from wangjian.monitoring.demo_market.market import Entity, Listing, Market, Shop, build_market
from wangjian.monitoring.demo_market.server import MarketApp, MarketServer, serve

__all__ = ["Entity", "Listing", "Market", "MarketApp", "MarketServer", "Shop", "build_market", "serve"]
