// The push stores of fixtures/crm (see ContactsScreenModel.swift).
@_exported import CRMPushGenerated
