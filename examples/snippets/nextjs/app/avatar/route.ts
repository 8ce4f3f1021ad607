import { NextResponse } from "next/server";

export async function GET(req: Request) {
  const linkedin_url = new URL(req.url).searchParams.get("linkedin_url");

  const upstream = await fetch(
    `${process.env.AVTRZ_API_URL}/v1/avatar?linkedin_url=${encodeURIComponent(linkedin_url!)}&size=128`,
    {
      headers: { "x-api-key": process.env.AVTRZ_SECRET! },
      redirect: "manual",
    }
  );

  const cdnUrl = upstream.headers.get("location");
  if (!cdnUrl) return NextResponse.json({ found: false });
  return NextResponse.redirect(cdnUrl, 302);
}
