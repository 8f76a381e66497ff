"""Open Referral UK 3.0 (the UK profile of HSDS 3.0): the standard's records as typed models
(`schema`), our directory published in them (`publish`), and stable ids (`ids`).

The models are written from the UK profile's schemas (CC BY-SA 4.0, Open Referral UK and
Open Referral). Fields the profile leaves out but HSDS 3.0 defines (phones, language codes,
contact emails…) are kept, since they do not conflict with the profile; Engage's own fields
start with `x_engage_`, as the profile's compliance rules recommend for local properties."""
