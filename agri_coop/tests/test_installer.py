"""The README's setup command on a new site, interrupted half way through the demo county
and run again: the second run finishes the county and checks it (issue 10).

It runs the real `scripts/setup.sh` (without starting the desk) against its own site, so
it takes a few minutes; the site is dropped before and after.
"""

import json
import os
import signal
import subprocess
import time

import frappe
import pytest

from agri_coop.demo import campaigns, traceability
from agri_coop.tests.conftest import BENCH

APP_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SITE = "agri-coop-installer.localhost"
ROOT_PASSWORD = os.environ.get("AGRI_COOP_DB_ROOT_PASSWORD", "agri_coop_root")
DB_HOST = os.environ.get("AGRI_COOP_DB_HOST", "127.0.0.1")


def setup_env() -> dict:
	return {**os.environ, "AGRI_COOP_SITE": SITE, "AGRI_COOP_START_DESK": "0", "AGRI_COOP_BENCH": BENCH}


def drop_site():
	subprocess.run(
		["bench", "drop-site", SITE, "--force", "--no-backup", "--db-root-password", ROOT_PASSWORD],
		cwd=BENCH,
		capture_output=True,
		check=False,
	)


def site_query(sql: str) -> list[list[str]]:
	"""Rows of a query on the installer site's database (as text), [] while it has none."""
	config = os.path.join(BENCH, "sites", SITE, "site_config.json")
	if not os.path.exists(config):
		return []
	db_name = json.load(open(config)).get("db_name")
	result = subprocess.run(
		["mariadb", "-h", DB_HOST, "-uroot", f"-p{ROOT_PASSWORD}", "-N", "-B", db_name, "-e", sql],
		capture_output=True,
		text=True,
		check=False,
	)
	return [line.split("\t") for line in result.stdout.splitlines()] if result.returncode == 0 else []


def count(doctype: str, where: str = "1=1") -> int:
	rows = site_query(f"select count(*) from `tab{doctype}` where {where}")
	return int(rows[0][0]) if rows else 0


@pytest.fixture
def installer_site():
	current_site = os.path.join(BENCH, "sites", "currentsite.txt")
	previous = open(current_site).read() if os.path.exists(current_site) else None
	drop_site()
	yield SITE
	drop_site()
	if previous is not None:
		with open(current_site, "w") as file:
			file.write(previous)


def test_setup_on_a_new_site_heals_a_demo_killed_half_way(installer_site):
	# 1. A first run, killed (SIGKILL, no clean-up) once the members are in and the
	#    campaigns are on their way.
	log_path = os.path.join(BENCH, "logs", "agri-coop-installer-test.log")
	log = open(log_path, "w")
	first = subprocess.Popen(
		["bash", "scripts/setup.sh"],
		cwd=APP_DIR,
		env=setup_env(),
		stdout=log,
		stderr=subprocess.STDOUT,
		start_new_session=True,
	)
	deadline = time.monotonic() + 900
	try:
		while time.monotonic() < deadline and first.poll() is None:
			if count("Member Import", "status = 'Completed'") and count("Coop Member"):
				break
			time.sleep(0.5)
		assert first.poll() is None, (
			"the first run ended before it could be interrupted:\n" + open(log_path).read()[-3000:]
		)
		assert count("Coop Member") > 0, "the members were not imported within 15 minutes"
		time.sleep(2)  # into the following steps
	finally:
		if first.poll() is None:
			os.killpg(first.pid, signal.SIGKILL)
		first.wait()
		log.close()
	assert count("Purchase Campaign", "campaign_state = 'Settled'") == 0, "killed too late to test healing"

	# 2. The next run finishes the county, checks it itself and prints the logins.
	second = subprocess.run(
		["bash", "scripts/setup.sh"],
		cwd=APP_DIR,
		env=setup_env(),
		capture_output=True,
		text=True,
		timeout=1800,
	)
	assert second.returncode == 0, second.stderr[-3000:]
	assert "xinminbao@dalate.demo" in second.stdout

	# 3. The counts of a complete demo county, read from the new site's database.
	assert count("Cooperative", "cooperative_type = 'Town Federation'") == 9
	assert count("Cooperative", "cooperative_type = 'Village Cooperative'") == 33
	assert count("Member Import") == 1
	assert count("Member Import", "status = 'Completed'") == 1
	members = count("Coop Member")
	assert members == int(site_query("select imported_rows from `tabMember Import`")[0][0])
	assert 350 < members <= 400
	states = dict(site_query("select name, campaign_state from `tabPurchase Campaign`"))
	# the trial delivered, the spring campaign settled, the pesticide campaign delivered (traceability)
	assert states == {
		campaigns.TRIAL: "Delivered",
		campaigns.FULL: "Settled",
		traceability.CAMPAIGN: "Delivered",
	}
	orders = count("Campaign Order", "docstatus = 1")
	assert orders > 30
	assert count("Sales Order", "docstatus = 1") == orders
	# one invoice per order of the two fertiliser campaigns (the pesticide campaign ends at the
	# members' distribution; the subsidies demo invoices on a town company's own books)
	fertiliser = f"('{campaigns.TRIAL}', '{campaigns.FULL}')"
	assert count("Sales Invoice", f"docstatus = 1 and agri_coop_campaign in {fertiliser}") == count(
		"Campaign Order", f"docstatus = 1 and campaign in {fertiliser}"
	)
	assert count("Campaign Settlement", "docstatus = 1") == 1
	unbalanced = site_query(
		"select voucher_no from `tabGL Entry` where is_cancelled = 0 group by voucher_type, voucher_no "
		"having abs(sum(debit) - sum(credit)) > 0.005"
	)
	assert unbalanced == []

	# 4. Once complete, a third run of the demo changes nothing.
	before = {
		d: count(d) for d in ("Coop Member", "Campaign Order", "Sales Invoice", "Payment Entry", "GL Entry")
	}
	again = subprocess.run(
		["bench", "--site", SITE, "agri-coop-demo"], cwd=BENCH, capture_output=True, text=True, timeout=900
	)
	assert again.returncode == 0, again.stderr[-3000:]
	assert {d: count(d) for d in before} == before
	assert frappe.local.site != SITE  # the test session's own site was not touched
