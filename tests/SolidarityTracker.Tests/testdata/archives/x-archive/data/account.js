window.YTD.account.part0 = [
  {
    "account": {
      "email": "pio@dallaspolice.example",
      "createdVia": "web",
      "username": "DallasPD",
      "accountId": "1230001",
      "createdAt": "2009-03-10T15:00:00.000Z",
      "accountDisplayName": "Dallas Police Dept"
    }
  }
]
