import { contextBridge, ipcRenderer } from 'electron'
import { exposeTransport } from './expose'

exposeTransport(ipcRenderer, contextBridge)
