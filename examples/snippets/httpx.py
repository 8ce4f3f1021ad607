import httpx, os

res = httpx.get(
    f"{os.environ['AVTRZ_API_URL']}/v1/avatar",
    params={"linkedin_url": "linkedin.com/in/alex-rivera", "size": 256},
    headers={"x-api-key": os.environ["AVTRZ_SECRET"]},
    follow_redirects=False,
)
cdn_url = res.headers["location"]
