"""wangjian (网监): online–offline integrated supervision of network markets."""

__version__ = "0.1.0"
