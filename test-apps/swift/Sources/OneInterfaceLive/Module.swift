// The live stores of fixtures/crm (see ContactsScreenModel.swift).
@_exported import CRMGenerated
