"""What the HTTP tests read from a reply: the whitelisted method's `message`, the REST
resource's `data` (a reply that is not 200 fails the test with its status and text)."""


def message(response):
	assert response.status_code == 200, f"{response.status_code} {response.text[:300]}"
	return response.json()["message"]


def data(response):
	assert response.status_code == 200, f"{response.status_code} {response.text[:300]}"
	return response.json()["data"]
