"""``python -m wangjian.monitoring.demo_market [--port 8800]``: serve the demo market until Ctrl-C."""

import argparse
import time

from wangjian.monitoring.demo_market import serve

parser = argparse.ArgumentParser(description="旌德县演示网络市场 / the demo online market")
parser.add_argument("--port", type=int, default=8800)
args = parser.parse_args()
server = serve(args.port)
print(f"演示网络市场 / demo market: {server.url}")
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    server.shutdown()
