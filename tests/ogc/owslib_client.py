"""OWSLib's OGC API – Features client against a running server: the landing page, the
conformance, the collections, and every collection's items page by page.
Usage: owslib_client.py BASE_URL"""
from owslib.ogcapi.features import Features

from common import base, report


def main():
    api = Features(f"{base()}/ogc")
    conformance = api.conformance()["conformsTo"]
    collections = [c["id"] for c in api.collections()["collections"]]
    result = {"conformance": len(conformance), "collections": collections, "paged": {},
              "matched": {}, "pages": {}}
    for cid in collections:
        api.collection(cid)  # the collection's own document
        ids, offset, pages = set(), 0, 0
        while True:
            page = api.collection_items(cid, limit=100, offset=offset)
            pages += 1
            ids.update(f["id"] for f in page["features"])
            result["matched"][cid] = page["numberMatched"]
            if not any(l["rel"] == "next" for l in page["links"]):
                break
            offset += page["numberReturned"]
        result["paged"][cid] = len(ids)
        result["pages"][cid] = pages
    one = api.collection_items("services", limit=1)["features"][0]
    result["queryables"] = sorted(api.collection_queryables("services")["properties"])
    result["one_type"] = api.collection_items("services", limit=1000, type=one["properties"]["type"])["numberMatched"]
    report(result)


if __name__ == "__main__":
    main()
