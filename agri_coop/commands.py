import click
from frappe.commands import get_site, pass_context


@click.command("agri-coop-demo")
@pass_context
def load_demo(context):
	"""Load (or finish loading) the demo county, then check it; exits 1 when anything is missing."""
	import frappe

	from agri_coop.demo.runner import load_demo_county, verify_demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		summary = load_demo_county(commit_each_step=True)
		problems = verify_demo()
	finally:
		frappe.destroy()
	if problems:
		click.secho("The demo county is incomplete:", fg="red", err=True)
		for problem in problems:
			click.echo(f"  - {problem}", err=True)
		raise SystemExit(1)
	for line in summary:
		click.echo(line)


@click.command("agri-coop-create-user")
@click.option("--email", required=True)
@click.option("--first-name", required=True)
@click.option("--cooperative", required=True, help="Town federation or village co-op the user is scoped to")
@click.option(
	"--role", default=None, help="Defaults to Federation User (town) or Village Purchasing User (village)"
)
@click.option("--password", default=None)
@pass_context
def create_user(context, email, first_name, cooperative, role, password):
	"""Create a desk user scoped to one town or village."""
	import frappe

	from agri_coop.organisation.users import create_scoped_user

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		name = create_scoped_user(email, first_name, cooperative, role=role, password=password)
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(f"{name} -> {cooperative}")


commands = [load_demo, create_user]
