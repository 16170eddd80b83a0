"""服务站覆盖 (Station Coverage): the towns and villages with a certified service station of each
type, against the targets.

Targets: seed 000 §一 — every town and village co-op's purchasing department certified (挂牌)
as a 供销合作服务站 (100% / 100%); seed 003 §二(二) — town e-commerce service stations 100%,
village e-commerce points ≥ 50%, and the e-commerce logistics network 100% of towns and ≥ 50%
of villages. Farm service centres have no coverage target.

A station counts on `as_on_date` when it is certified by then and not disabled. Rows: the
tree of towns (indent 0) and villages (indent 1) with a mark per type, read in the user's
scope (agri_coop.reports.scope), so a town user's coverage is its own town's.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from agri_coop.constants.cooperatives import TOWN
from agri_coop.reports.scope import region, visible_cooperatives
from agri_coop.utils.lookups import validate_town_filter

SMC, FARM, ECOMMERCE, LOGISTICS = (
	"SMC Service Station",
	"Farm Service Centre",
	"E-commerce Service Point",
	"Logistics Service Point",
)
STATION_TYPES = (SMC, FARM, ECOMMERCE, LOGISTICS)
FIELD = {SMC: "smc_station", FARM: "farm_centre", ECOMMERCE: "ecommerce_point", LOGISTICS: "logistics_point"}
# station type -> (town target %, village target %); None: no target
TARGETS = {SMC: (100, 100), FARM: (None, None), ECOMMERCE: (100, 50), LOGISTICS: (100, 50)}


def execute(filters=None):
	filters = validate_filters(filters)
	data, coverage = get_data(filters)
	return get_columns(), data, None, get_chart(coverage), get_report_summary(coverage)


def validate_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.as_on_date = getdate(filters.as_on_date or today())
	validate_town_filter(filters.town)
	return filters


def get_columns() -> list[dict]:
	columns = [
		{"label": _("Town / Village"), "fieldname": "region_name", "fieldtype": "Data", "width": 180},
		{
			"label": _("Cooperative"),
			"fieldname": "cooperative",
			"fieldtype": "Link",
			"options": "Cooperative",
			"width": 230,
		},
	]
	columns += [
		{"label": _(t), "fieldname": FIELD[t], "fieldtype": "Check", "width": 120} for t in STATION_TYPES
	]
	columns += [
		{"label": _("Stations"), "fieldname": "stations", "fieldtype": "Int", "width": 80},
		{"label": _("Station Names"), "fieldname": "station_names", "fieldtype": "Data", "width": 260},
	]
	return columns


def certified_stations(cooperatives, as_on) -> dict[str, list[frappe._dict]]:
	"""co-op -> its stations certified on or before `as_on`, not disabled."""
	if not cooperatives:
		return {}
	rows = frappe.get_list(
		"Service Station",
		filters={
			"cooperative": ["in", cooperatives],
			"disabled": 0,
			"certified_on": ["<=", as_on],
		},
		fields=["name", "station_name", "station_type", "cooperative"],
		order_by="station_name asc",
		limit_page_length=0,
	)
	stations = {}
	for row in rows:
		stations.setdefault(row.cooperative, []).append(row)
	return stations


def coop_row(coop, stations, indent, parent) -> dict:
	own = stations.get(coop.name, [])
	types = {s.station_type for s in own}
	row = {
		"region_name": region(coop),
		"cooperative": coop.name,
		"parent_cooperative": parent,
		"indent": indent,
		"is_town": cint(coop.cooperative_type == TOWN),
		"stations": len(own),
		"station_names": ", ".join(s.station_name for s in own) or None,
		**{FIELD[t]: cint(t in types) for t in STATION_TYPES},
	}
	if row["is_town"]:
		row["bold"] = 1
	return row


def get_data(filters) -> tuple[list[dict], dict]:
	cooperatives = visible_cooperatives(filters.town)
	stations = certified_stations([c.name for c in cooperatives], filters.as_on_date)
	towns = [c for c in cooperatives if c.cooperative_type == TOWN]
	villages_of = {}
	for coop in cooperatives:
		if coop.cooperative_type != TOWN:
			villages_of.setdefault(coop.town, []).append(coop)
	data = []
	for town in towns:
		data.append(coop_row(town, stations, 0, None))
		data.extend(coop_row(v, stations, 1, town.name) for v in villages_of.pop(town.name, []))
	for village in [v for vs in villages_of.values() for v in vs]:  # a village user's own
		data.append(coop_row(village, stations, 0, None))
	return data, get_coverage(data)


def get_coverage(data) -> dict:
	"""station type -> {towns, villages, towns_covered, villages_covered, rates, targets, met}."""
	towns = [r for r in data if r["is_town"]]
	villages = [r for r in data if not r["is_town"]]
	coverage = {}
	for station_type in STATION_TYPES:
		field = FIELD[station_type]
		town_target, village_target = TARGETS[station_type]
		entry = {
			"towns": len(towns),
			"villages": len(villages),
			"towns_covered": sum(r[field] for r in towns),
			"villages_covered": sum(r[field] for r in villages),
			"town_target": town_target,
			"village_target": village_target,
		}
		entry["town_rate"] = rate(entry["towns_covered"], entry["towns"])
		entry["village_rate"] = rate(entry["villages_covered"], entry["villages"])
		entry["met"] = all(
			target is None or share is None or share >= target
			for share, target in ((entry["town_rate"], town_target), (entry["village_rate"], village_target))
		)
		coverage[station_type] = entry
	return coverage


def rate(covered, total) -> float | None:
	return flt(covered * 100 / total, 1) if total else None


def get_chart(coverage) -> dict | None:
	if not coverage or not any(e["towns"] or e["villages"] for e in coverage.values()):
		return None
	return {
		"data": {
			"labels": [_(t) for t in STATION_TYPES],
			"datasets": [
				{
					"name": _("Towns Covered"),
					"values": [coverage[t]["town_rate"] or 0 for t in STATION_TYPES],
				},
				{
					"name": _("Villages Covered"),
					"values": [coverage[t]["village_rate"] or 0 for t in STATION_TYPES],
				},
			],
			"yMarkers": [
				{"label": _("Target {0}%").format(50), "value": 50, "options": {"labelPos": "left"}}
			],
		},
		"type": "bar",
		"fieldtype": "Percent",
		"colors": ["#2490ef", "#29cd42"],
		"barOptions": {"spaceRatio": 0.3},
	}


def get_report_summary(coverage) -> list[dict] | None:
	if not coverage or not any(e["towns"] or e["villages"] for e in coverage.values()):
		return None
	summary = []
	for station_type in (SMC, ECOMMERCE, LOGISTICS):
		entry = coverage[station_type]
		for level, label in (("town", _("Towns")), ("village", _("Villages"))):
			share, target = entry[f"{level}_rate"], entry[f"{level}_target"]
			if share is None:
				continue
			summary.append(
				{
					"value": share,
					"label": _("{0}: {1} (Target {2}%)").format(_(station_type), label, target),
					"datatype": "Percent",
					"indicator": "Green" if share >= target else "Red",
				}
			)
	return summary
