package app

import "woodshed/shared/httpapi"

func (a *App) audioHandlers(add func(string, httpapi.Func)) {}
