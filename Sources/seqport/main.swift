print("seqport")
