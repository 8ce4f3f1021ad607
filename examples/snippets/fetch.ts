const res = await fetch(
  `${process.env.AVTRZ_API_URL}/v1/avatar?linkedin_url=linkedin.com/in/alex-rivera&size=256`,
  {
    headers: { "x-api-key": process.env.AVTRZ_SECRET! },
    redirect: "manual",
  }
);
const cdnUrl = res.headers.get("location");
