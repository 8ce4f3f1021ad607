curl -i "$AVTRZ_API_URL/v1/avatar?linkedin_url=linkedin.com/in/alex-rivera&size=256" \
  -H "x-api-key: $AVTRZ_SECRET"
