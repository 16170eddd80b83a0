"""The three levels of the Cooperative tree (seed 000 §三(一)1): one county SMC, its town
federations, their village co-ops."""

COUNTY = "County SMC"
TOWN = "Town Federation"
VILLAGE = "Village Cooperative"
