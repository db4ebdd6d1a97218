"""``wangjian demo``: initialise, load the demo county (the organisation, then what each app registered), serve."""

import io

from django.core.management import call_command

from wangjian.core.management.base import WangjianCommand
from wangjian.core.models import AllowedAddress
from wangjian.org import demo as org_demo
from wangjian.org.models import Bureau, User
from wangjian.org.services import generate_password
from wangjian.platform import demo


class Command(WangjianCommand):
    help = "演示：初始化并载入演示县局（科室、基层所、职责清单、各角色用户），然后启动服务"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只载入数据，不启动服务")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **opts):
        password = generate_password()
        quiet = io.StringIO()
        call_command("migrate", interactive=False, verbosity=0)
        if (
            not Bureau.objects.exists()
        ):  # migrated and still empty: the apps' preparations (a partner instance)
            demo.prepare(self.stdout)
        call_command(
            "init",
            bureau_name="旌德县市场监督管理局",
            bureau_code="341825",
            admin_password=password,
            stdout=quiet,
        )
        self.stdout.write(quiet.getvalue().splitlines()[0])
        first_time = not User.objects.filter(username="office").exists()
        org = org_demo.build(password=password)
        if first_time:
            User.objects.filter(username="admin").update(must_change_password=False)
        # The demo market and the demo shop are served on this machine: the address policy refuses
        # loopback, so the demo allows it the way a superuser allows a bureau's own test site.
        AllowedAddress.objects.get_or_create(
            network="127.0.0.1/32",
            defaults={
                "reason": "演示网络市场与演示网店（本机）/ the demo market and demo shop on this machine"
            },
        )
        for loader in demo.loaders():
            loader.load(org, self.stdout)
        self.stdout.write("")
        self.stdout.write("演示数据已载入 / demo loaded: 旌德县市场监督管理局（宣城市、安徽省）")
        if first_time:
            self.stdout.write(
                "用户 / users: admin（系统管理员）、office（办公室管理员）、leader、ad_head、ad_officer、"
            )
            self.stdout.write(
                "  price_officer、food_officer、station_officer、legal、auditor、jixi_officer、city_office、province_office"
            )
            self.stdout.write(
                f"管理员密码（所有演示用户相同）/ admin password (same for every demo user): {password}"
            )
        else:
            self.stdout.write("演示数据此前已载入，密码未改变 / demo was loaded before; passwords unchanged")
        if not opts["no_serve"]:
            self.stdout.write(f"打开 / open: http://{opts['host']}:{opts['port']}/  （用户名 admin）")
            call_command("serve", host=opts["host"], port=opts["port"])
