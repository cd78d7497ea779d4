window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "754716130519171072"
          ]
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com\">Twitter Web Client</a>",
      "entities": {
        "hashtags": [],
        "user_mentions": [
          {
            "screen_name": "BRPD",
            "id_str": "1230002"
          }
        ]
      },
      "display_text_range": [
        "0",
        "96"
      ],
      "favorite_count": "120",
      "id_str": "754716130519171072",
      "truncated": false,
      "retweet_count": "80",
      "id": "754716130519171072",
      "created_at": "Sun Jul 17 14:05:00 +0000 2016",
      "favorited": false,
      "full_text": "Our thoughts and prayers are with @BRPD &amp; the families of the officers killed this morning.",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "retweeted": false,
      "id_str": "754716999999999999",
      "id": "754716999999999999",
      "created_at": "Sun Jul 17 14:20:00 +0000 2016",
      "full_text": "RT @BRPD: Tonight we ask every resident of Baton Rouge to stay vigilant and report anything out of place to 911.",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "retweeted": false,
      "id_str": "754717000000000003",
      "id": "754717000000000003",
      "created_at": "Sun Jul 17 15:00:00 +0000 2016",
      "full_text": "@BRPD We are here for you.",
      "in_reply_to_status_id_str": "754700000000000001",
      "in_reply_to_status_id": "754700000000000001",
      "in_reply_to_screen_name": "BRPD",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "retweeted": false,
      "id_str": "754717000000000004",
      "id": "754717000000000004",
      "created_at": "yesterday afternoon",
      "full_text": "A record with a date no one can read.",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "retweeted": false,
      "id_str": "754800000000000020",
      "id": "754800000000000020",
      "created_at": "Mon Jul 18 09:30:00 +0000 2016",
      "full_text": "Please keep the families of our fallen officers in your prayers.",
      "lang": "en"
    }
  }
]
