"""``wangjian createuser``: add a member of staff from the command line."""

from wangjian.core.errors import WangjianError
from wangjian.core.management.base import WangjianCommand
from wangjian.org.choices import Role
from wangjian.org.models import Bureau, Department, Station
from wangjian.org.services import user_create


class Command(WangjianCommand):
    help = "新增用户（打印一次性密码）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--bureau", required=True, help="所属局的行政区划代码")
        parser.add_argument("--role", default=Role.OFFICER, choices=Role.values)
        parser.add_argument("--name", default="")
        parser.add_argument("--department", help="科室名称")
        parser.add_argument("--station", help="基层所名称")
        parser.add_argument("--phone", default="")
        parser.add_argument("--superuser", action="store_true")

    def handle(self, *args, **o):
        bureau = Bureau.objects.filter(code=o["bureau"]).first()
        if bureau is None:
            raise WangjianError(f"没有区划代码为 {o['bureau']} 的局", f"No bureau with code {o['bureau']}")
        department = station = None
        if o["department"]:
            department = Department.objects.filter(bureau=bureau, name=o["department"]).first()
            if department is None:
                raise WangjianError(f"本局没有科室“{o['department']}”", f"No department '{o['department']}'")
        if o["station"]:
            station = Station.objects.filter(bureau=bureau, name=o["station"]).first()
            if station is None:
                raise WangjianError(f"本局没有基层所“{o['station']}”", f"No station '{o['station']}'")
        user, password = user_create(
            username=o["username"],
            bureau=bureau,
            role=o["role"],
            name=o["name"],
            department=department,
            station=station,
            phone=o["phone"],
            is_superuser=o["superuser"],
        )
        self.stdout.write(f"已创建 / created: {user.username}")
        self.stdout.write(f"一次性密码 / one-time password: {password}")
