"""The demo county and everything it loads (not a Frappe module: no DocTypes here).

- `runner`: the step runner of `bench --site SITE agri-coop-demo` and `verify_demo`; the steps
  are the ordered hook `agri_coop_demo_steps` in hooks.py.
- `county` (and `company`): the county, its towns and villages, the demo users.
- `members`, `departments`, `masters`, `campaigns`, `settlement`: one step each.
- `builders`: the idempotent record builders (items, suppliers, whitelist, campaigns, orders)
  that the demo and the test factories both use.
- `sheets`: the generator of onboarding sheets (demo members, tests, benchmarks).
"""
