"""The adversarial suite: the test site served by Frappe's own web server in a child
process, and clients that log in over real HTTP as the demo users and try to get out of
their scope.

The server sees committed data only: the demo county committed by `before_tests`, plus
whatever a test commits itself (and removes again).
"""

import os
import re
import socket
import subprocess
import sys
import time

import frappe
import pytest
import requests

from agri_coop.demo.county import DEMO_PASSWORD

BENCH = os.path.expanduser(os.environ.get("AGRI_COOP_BENCH", "~/agri-coop-bench"))


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server_url():
	"""http://127.0.0.1:PORT serving the test site, up for the whole session."""
	port = free_port()
	sites = os.path.join(BENCH, "sites")
	log = open(os.path.join(BENCH, "logs", "agri-coop-security-server.log"), "w")
	process = subprocess.Popen(
		[
			sys.executable,
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			frappe.local.site,
			"serve",
			"--port",
			str(port),
			"--noreload",
		],
		cwd=sites,
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	url = f"http://127.0.0.1:{port}"
	deadline = time.monotonic() + 90
	while time.monotonic() < deadline:
		try:
			if requests.get(f"{url}/api/method/ping", timeout=5).ok:
				break
		except requests.ConnectionError:
			time.sleep(0.5)
		if process.poll() is not None:
			raise RuntimeError("the test web server exited; see logs/agri-coop-security-server.log")
	else:
		process.kill()
		raise RuntimeError("the test web server did not answer within 90 s")
	yield url
	process.terminate()
	try:
		process.wait(10)
	except subprocess.TimeoutExpired:
		process.kill()
	log.close()


class Client(requests.Session):
	"""A logged-in browser-like session: `call` posts to a whitelisted method."""

	def __init__(self, base_url: str):
		super().__init__()
		self.base_url = base_url

	def url(self, path: str) -> str:
		return self.base_url + path

	def call(self, method: str, **params):
		return self.post(self.url(f"/api/method/{method}"), data=encode(params))

	def get_path(self, path: str, **params):
		return self.get(self.url(path), params=encode(params))


def encode(params: dict) -> dict:
	import json

	return {k: (json.dumps(v) if isinstance(v, dict | list) else v) for k, v in params.items()}


@pytest.fixture(scope="session")
def login(server_url):
	"""login(user) -> Client, cached per user for the session."""
	clients = {}

	def _login(user: str, password: str = DEMO_PASSWORD) -> Client:
		if user not in clients:
			client = Client(server_url)
			response = client.post(client.url("/api/method/login"), data={"usr": user, "pwd": password})
			assert response.ok, f"login as {user}: {response.status_code} {response.text[:200]}"
			# as the desk does: the token is in the /app page's boot script
			page = client.get(client.url("/app")).text
			token = re.search(r'frappe\.csrf_token = "([^"]+)"', page)
			client.headers["X-Frappe-CSRF-Token"] = token.group(1) if token else ""
			clients[user] = client
		return clients[user]

	return _login
