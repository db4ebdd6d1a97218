"""``wangjian init``: create the home folder, the secret key, the database, the first bureau and an administrator."""

from django.core.management import call_command

from wangjian import config
from wangjian.core.management.base import WangjianCommand
from wangjian.org.choices import BureauLevel, Role
from wangjian.org.models import Bureau, User
from wangjian.org.services import user_create


class Command(WangjianCommand):
    help = "初始化：建立数据目录、密钥和数据库，创建第一个局和管理员（打印一次性密码）"

    def add_arguments(self, parser):
        parser.add_argument("--bureau-name", default="示例县市场监督管理局")
        parser.add_argument("--bureau-code", default="341825", help="GB/T 2260 行政区划代码（6位）")
        parser.add_argument("--bureau-level", default=BureauLevel.COUNTY, choices=BureauLevel.values)
        parser.add_argument("--admin", default="admin", help="管理员用户名")
        parser.add_argument("--admin-password", default=None, help="不指定则生成一次性密码")

    def handle(self, *args, **opts):
        home = config.home()
        for sub in ("", "storage", "logs"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        config.secret_key(create=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        bureau = Bureau.objects.filter(parent__isnull=True).order_by("id").first() or Bureau.objects.first()
        if bureau is None:
            bureau = Bureau.objects.create(
                name=opts["bureau_name"], code=opts["bureau_code"], level=opts["bureau_level"]
            )
        self.stdout.write(f"数据目录 / home: {home}")
        admin = User.objects.filter(username=opts["admin"]).first()
        if admin is None:
            admin, password = user_create(
                username=opts["admin"],
                name="系统管理员",
                bureau=bureau,
                role=Role.OFFICE_ADMIN,
                password=opts["admin_password"],
                is_superuser=True,
            )
            self.stdout.write(f"管理员 / administrator: {admin.username}")
            self.stdout.write(f"一次性密码 / one-time password: {password}")
        else:
            self.stdout.write(f"管理员已存在 / administrator exists: {admin.username}")
        self.stdout.write("初始化完成 / initialised")
