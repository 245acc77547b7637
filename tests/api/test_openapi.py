"""The OpenAPI document: generated from the views' declarations, complete, and a valid 3.1 document; the
reference page serves its assets from this site."""
from __future__ import annotations

import schemathesis

from marketplace.api.spec import api_operations

NOT_OPERATIONS = {"api.openapi_json", "api.reference", "api.reference_asset"}


def test_every_api_endpoint_is_in_the_document(app, client):
    """Is every route of the API blueprint (but the document and its reference page) a documented operation?"""
    doc = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in NOT_OPERATIONS:
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "api_operation", None) is not None, f"{rule.rule} is not declared with @operation"
    assert len(documented) == len(api_operations(app)) > 0


def test_document_is_openapi_3_1_that_a_client_can_load(client):
    """Does schemathesis (a real client) load the document as OpenAPI 3.1 with an operation per path and method?"""
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0" and "bearerAuth" in doc["components"]["securitySchemes"]
    schema = schemathesis.openapi.from_dict(doc)
    loaded = [op.ok() for op in schema.get_all_operations()]
    assert len(loaded) == sum(len(ops) for ops in doc["paths"].values())
    error = doc["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"code", "message"} and "fields" in error["properties"]


def test_reference_page_uses_assets_served_here(client):
    """Does the reference page load Swagger UI from this site (no CDN), and are its assets served?"""
    page = client.get("/api/v1/reference").get_data(as_text=True)
    assert "/api/v1/reference/assets/swagger-ui-bundle.js" in page and "//cdn" not in page and "unpkg" not in page
    asset = client.get("/api/v1/reference/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000
    assert client.get("/api/v1/reference/assets/..%2Fapp.py").status_code == 404


def test_errors_follow_accept_language(client):
    """Is an error message Chinese by default and English when the caller asks for English?"""
    zh = client.get("/api/v1/search?q=").get_json()["error"]
    en = client.get("/api/v1/search?q=", headers={"Accept-Language": "en"}).get_json()["error"]
    assert zh["code"] == en["code"] == "missing_query"
    assert en["message"] == "Give the search text in the q parameter." and zh["message"] != en["message"]
