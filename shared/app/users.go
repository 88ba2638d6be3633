package app

import "woodshed/shared/httpapi"

func (a *App) userHandlers(add func(string, httpapi.Func)) {}
