"""No import circles in the app: a static graph of the top-level imports of every module.

Only the imports a module runs when it is imported count (module level, including inside
`if`/`try` at that level); an import inside a function runs later and may break a circle,
where its comment says why. Every module is also imported in a fresh interpreter.
"""

import ast
import subprocess
import sys
from pathlib import Path

import frappe

APP = Path(frappe.get_app_path("agri_coop"))
PACKAGE = "agri_coop"


def module_name(path: Path) -> str:
	parts = path.relative_to(APP.parent).with_suffix("").parts
	return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
	return {module_name(path): path for path in sorted(APP.rglob("*.py"))}


def function_imports(tree: ast.Module):
	"""Import nodes inside functions (run when the function is called)."""
	for node in ast.walk(tree):
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
			for inner in ast.walk(node):
				if isinstance(inner, ast.Import | ast.ImportFrom):
					yield inner


def top_level_imports(tree: ast.Module):
	"""Import nodes run at import time: module level, and inside module-level if/try/with."""
	pending = list(tree.body)
	while pending:
		node = pending.pop(0)
		if isinstance(node, ast.Import | ast.ImportFrom):
			yield node
		elif isinstance(node, ast.If | ast.Try | ast.With):
			for field in ("body", "orelse", "finalbody", "handlers"):
				pending.extend(getattr(node, field, []) or [])
		elif isinstance(node, ast.ExceptHandler):
			pending.extend(node.body)


def imported_modules(name: str, path: Path, modules: dict, nodes=top_level_imports) -> set[str]:
	"""The app's modules `name` imports at import time (`from a import b` is a.b when a.b is a
	module, else a)."""
	return {target for target, _ in import_edges(name, path, modules, nodes)}


def import_edges(name: str, path: Path, modules: dict, nodes=top_level_imports):
	"""(module, import node) for each of the app's modules that `nodes` of `name` import."""
	is_package = path.name == "__init__.py"
	found = set()
	for node in nodes(ast.parse(path.read_text(encoding="utf-8"))):
		if isinstance(node, ast.Import):
			targets = [alias.name for alias in node.names]
		else:
			base = node.module or ""
			if node.level:
				anchor = name.split(".") if is_package else name.split(".")[:-1]
				anchor = anchor[: len(anchor) - (node.level - 1)]
				base = ".".join([*anchor, base] if base else anchor)
			targets = [
				f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
			]
		for target in targets:
			# importing a.b.c runs a and a.b first
			parts = target.split(".")
			for i in range(1, len(parts) + 1):
				candidate = ".".join(parts[:i])
				if candidate in modules and candidate != name and candidate.split(".")[0] == PACKAGE:
					found.add((candidate, node.lineno))
	return found


def import_graph() -> dict[str, set[str]]:
	modules = app_modules()
	return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
	"""The strongly connected components with more than one module (Tarjan), each sorted."""
	index, low, stack, on_stack, result = {}, {}, [], set(), []

	def visit(node):
		index[node] = low[node] = len(index)
		stack.append(node)
		on_stack.add(node)
		for succ in sorted(graph.get(node, ())):
			if succ not in index:
				visit(succ)
				low[node] = min(low[node], low[succ])
			elif succ in on_stack:
				low[node] = min(low[node], index[succ])
		if low[node] == index[node]:
			component = []
			while True:
				member = stack.pop()
				on_stack.discard(member)
				component.append(member)
				if member == node:
					break
			if len(component) > 1:
				result.append(sorted(component))

	sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
	for node in sorted(graph):
		if node not in index:
			visit(node)
	return result


def package_parents(graph):
	"""A package's __init__ runs before its modules: an edge from a module to its own package
	is not a circle of the app's code (parents import nothing of their children here)."""
	return {name: {dep for dep in deps if not name.startswith(dep + ".")} for name, deps in graph.items()}


def test_no_import_cycles():
	found = cycles(package_parents(import_graph()))
	assert found == [], "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_imports_inside_functions_that_break_a_circle_say_why():
	"""An import moved into a function to break a circle carries a comment (on its line or the
	line above) saying why; one that breaks no circle needs none."""
	modules = app_modules()
	graph = package_parents(import_graph())
	later = {}
	for name, path in modules.items():
		for target, line in import_edges(name, path, modules, function_imports):
			if not name.startswith(target + "."):
				later.setdefault(name, set()).add((target, line))
	full = {name: graph[name] | {target for target, _ in later.get(name, ())} for name in graph}
	circle_of = {module: i for i, circle in enumerate(cycles(full)) for module in circle}
	silent = []
	for name, edges in later.items():
		source = modules[name].read_text(encoding="utf-8").splitlines()
		for target, line in sorted(edges):
			if name in circle_of and circle_of.get(target) == circle_of[name]:
				if "#" not in source[line - 1] and not source[line - 2].strip().startswith("#"):
					silent.append(f"{name}:{line} imports {target} inside a function without saying why")
	assert silent == [], "\n".join(silent)


def test_cycle_detection_finds_a_circle():
	assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_imports_in_a_fresh_interpreter():
	"""Each module imported first, alone, in a new interpreter (frappe not connected)."""
	names = [name for name in app_modules() if ".tests" not in name and not name.endswith(".conftest")]
	script = (
		"import importlib, sys, traceback\n"
		"failed = []\n"
		"for name in sys.argv[1:]:\n"
		"    for loaded in [m for m in sys.modules if m == 'agri_coop' or m.startswith('agri_coop.')]:\n"
		"        del sys.modules[loaded]\n"
		"    try:\n"
		"        importlib.import_module(name)\n"
		"    except Exception:\n"
		"        failed.append(name + ': ' + traceback.format_exc().splitlines()[-1])\n"
		"print('\\n'.join(failed))\n"
		"sys.exit(1 if failed else 0)\n"
	)
	run = subprocess.run(
		[sys.executable, "-c", script, *names], capture_output=True, text=True, cwd=APP.parent, timeout=600
	)
	assert run.returncode == 0, run.stdout + run.stderr
