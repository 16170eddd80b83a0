"""The demo county: Dalate Banner (达拉特旗), seed 000: its towns and villages, the demo
users and the first step of the demo, `load_demo_organisation` (the steps and their runner
are in `agri_coop.demo.runner`)."""

import frappe

from agri_coop.constants import roles
from agri_coop.constants.cooperatives import COUNTY, TOWN, VILLAGE
from agri_coop.demo.builders import create_cooperative
from agri_coop.demo.company import ensure_company
from agri_coop.organisation.users import create_scoped_user
from agri_coop.utils.uscc import make_uscc

DEMO_PASSWORD = "agri-coop-demo"
COUNTY_SMC = "达拉特旗供销合作社"
DALATE_DIVISION = "150621"  # administrative division code of Dalate Banner

# Seed 000 §二(一)1: the two rollout batches of town federations.
TOWNS = {
	"First": ("树林召镇", "吉格斯太镇", "王爱召镇", "昭君镇"),
	"Second": ("白泥井镇", "风水梁镇", "展旦召苏木", "恩格贝镇", "中和西镇"),
}
# Villages (嘎查村) of each town with their number of agricultural producers.
VILLAGES = {
	"树林召镇": (("新民堡村", 620), ("林原村", 480), ("东海心村", 530), ("五股地村", 410), ("乌兰村", 350)),
	"吉格斯太镇": (("城壕村", 560), ("乌兰壕村", 440), ("新河村", 390), ("德胜泰村", 470)),
	"王爱召镇": (("王爱召村", 610), ("榆树林子村", 380), ("新园村", 450), ("什拉滩村", 330)),
	"昭君镇": (("昭君坟村", 520), ("和胜村", 460), ("柴磴村", 400), ("四村", 300)),
	"白泥井镇": (("白泥井村", 580), ("王二窑子村", 420), ("大纳林村", 370), ("道劳村", 340)),
	"风水梁镇": (("风水梁村", 450), ("獾子渠村", 310), ("洋子湾村", 360)),
	"展旦召苏木": (("展旦召嘎查", 290), ("巴音布拉格嘎查", 260), ("巴音敖包嘎查", 240)),
	"恩格贝镇": (("恩格贝嘎查", 280), ("黄母哈日嘎查", 230), ("乌兰嘎查", 250)),
	"中和西镇": (("中和西村", 400), ("五圪堵村", 330), ("广泉村", 310)),
}
DEMO_TOWN_USER = ("shulinzhao@dalate.demo", "树林召镇统购部")
DEMO_VILLAGE_USER = ("xinminbao@dalate.demo", "新民堡村统购部")
DEMO_ROLE_USERS = (
	("smc@dalate.demo", "旗供销社管理员", roles.COUNTY_SMC_MANAGER),
	("accountant@dalate.demo", "供销社会计", roles.COOP_ACCOUNTANT),
	("warehouse@dalate.demo", "服务站库管员", roles.WAREHOUSE_STAFF),
	("leader@dalate.demo", "领导小组办公室", roles.LEADERSHIP_OFFICE),
	("credit@dalate.demo", "合作银行信贷员", roles.CREDIT_OFFICER),
)


def town_name(town: str) -> str:
	return f"{town}股份经济合作联合社"


def village_name(town: str, village: str) -> str:
	return f"{town}{village}股份经济合作社"


def demo_uscc(level_code: str, serial: int) -> str:
	"""A well-formed code: N = agriculture bureau, 3 = township, 2 = village collective."""
	return make_uscc(f"N{level_code}{DALATE_DIVISION}MA{serial:06d}D")


def load_demo_organisation():
	company = ensure_company(COUNTY_SMC)
	frappe.db.set_single_value("System Settings", "language", "zh")
	frappe.db.set_default("lang", "zh")
	county = ensure_cooperative(COUNTY_SMC, COUNTY_SMC, COUNTY, None, company=company)
	serial = 0
	for batch, towns in TOWNS.items():
		for town in towns:
			serial += 1
			town_doc = ensure_cooperative(
				town_name(town),
				town,
				TOWN,
				county.name,
				batch=batch,
				party_secretary=f"{town}党委书记",
				chair=f"{town}联合社理事长",
			)
			advance_demo_approval(town_doc, batch, serial)
			for village, producers in VILLAGES[town]:
				serial += 1
				ensure_cooperative(
					village_name(town, village),
					village,
					VILLAGE,
					town_doc.name,
					producer_count=producers,
					uscc=demo_uscc("2", serial),
				)

	for email, full_name, role in DEMO_ROLE_USERS:
		ensure_role_user(email, full_name, role)
	create_scoped_user(DEMO_TOWN_USER[0], DEMO_TOWN_USER[1], town_name("树林召镇"), password=DEMO_PASSWORD)
	create_scoped_user(
		DEMO_VILLAGE_USER[0],
		DEMO_VILLAGE_USER[1],
		village_name("树林召镇", "新民堡村"),
		password=DEMO_PASSWORD,
	)
	for email in (DEMO_TOWN_USER[0], DEMO_VILLAGE_USER[0]):
		frappe.db.set_value("User", email, "language", "zh")


def demo_summary() -> list[str]:
	return [
		f"County: {COUNTY_SMC}; towns: {frappe.db.count('Cooperative', {'cooperative_type': TOWN})}; "
		f"villages: {frappe.db.count('Cooperative', {'cooperative_type': VILLAGE})}",
		*demo_logins(),
	]


def demo_logins() -> list[str]:
	rows = [("Administrator", "Administrator", "(admin password)")]
	rows += [(email, role, DEMO_PASSWORD) for email, _, role in DEMO_ROLE_USERS]
	rows += [
		(DEMO_TOWN_USER[0], f"{roles.FEDERATION_USER} · 树林召镇", DEMO_PASSWORD),
		(DEMO_VILLAGE_USER[0], f"{roles.VILLAGE_PURCHASING_USER} · 新民堡村", DEMO_PASSWORD),
	]
	return [f"  {email:<28} {role:<36} {password}" for email, role, password in rows]


def ensure_cooperative(name, region, cooperative_type, parent, **values):
	existed = frappe.db.exists("Cooperative", name)
	doc = create_cooperative(name, cooperative_type, parent, region_name=region, **values)
	if existed:
		doc.sync_customer()  # its Customer, in step again after an interrupted run
	return doc


def advance_demo_approval(town_doc, batch, serial):
	"""First-batch federations are registered; second-batch ones are still on their way."""
	if town_doc.approval_state != "Drafted":
		return
	town_doc.approve(
		approved_on="2023-09-01" if batch == "First" else "2023-09-14",
		approval_reference=f"{town_doc.region_name}政发〔2023〕{serial}号",
	)
	if batch == "First" or serial % 2 == 0:
		town_doc.register(uscc=demo_uscc("3", serial), registered_on="2023-09-06")


def ensure_role_user(email, full_name, role):
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": full_name,
				"user_type": "System User",
				"send_welcome_email": 0,
				"language": "zh",
				"new_password": DEMO_PASSWORD,
			}
		)
		user.insert(ignore_permissions=True)
	frappe.get_doc("User", email).add_roles(role, *roles.ERPNEXT_ROLES.get(role, ()))
